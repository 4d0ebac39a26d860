# Multi-stage build: compile in the Rust image, run from a small Debian image.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
RUN cargo build --release --locked --bin pylon

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/pylon /usr/local/bin/pylon
WORKDIR /app
# Wallets are mounted here (see the README).
VOLUME ["/root/.bittensor/wallets"]
EXPOSE 9944
ENTRYPOINT ["pylon"]
# The gateway (`pylon serve`, port 8000) becomes the default command once it exists; until then
# the image runs the devnet, reachable from the host.
CMD ["devnet", "--host", "0.0.0.0"]
