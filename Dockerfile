# Multi-stage build: compile in the Rust image, run from a small Debian image.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY benches ./benches
RUN cargo build --release --locked --bin pylon

FROM debian:bookworm-slim
# The CA bundle follows Debian's security updates rather than a pinned version.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/pylon /usr/local/bin/pylon
WORKDIR /app
# Hotkeys are read from here; mount your wallets (see docker-compose.yaml).
ENV PYLON_BITTENSOR_WALLET_PATH=/root/.bittensor/wallets
# Weights jobs survive restarts in this SQLite file; keep it on a volume.
ENV PYLON_DATABASE_PATH=/app/data/pylon.db
RUN mkdir -p /app/data
VOLUME ["/root/.bittensor/wallets", "/app/data"]
EXPOSE 8000
ENTRYPOINT ["pylon"]
CMD ["serve"]
