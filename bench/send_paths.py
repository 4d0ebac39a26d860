#!/usr/bin/env python3
"""A minimal HTTP/1.1 keep-alive server for bench/send_paths.sh: answers every request with the
bytes of FILE, either with one sendmsg (writev) of header and body from memory, or with the
header and then sendfile(2) from a memfd holding the body (nginx's path). One thread per
connection, blocking sockets: the least a server can do per response.

    python3 send_paths.py writev|sendfile PORT FILE
"""
import os
import socket
import sys
import threading

mode, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if mode not in ("writev", "sendfile"):
    sys.exit("mode must be writev or sendfile")
body = open(path, "rb").read()
memfd = os.memfd_create("answer")
os.write(memfd, body)
header = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body)


def serve(conn):
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        try:
            if not conn.recv(65536):
                return
            if mode == "writev":
                conn.sendmsg([header, body])
            else:
                conn.send(header, socket.MSG_MORE)
                offset = 0
                while offset < len(body):
                    offset += os.sendfile(conn.fileno(), memfd, offset, len(body) - offset)
        except OSError:
            return


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", port))
listener.listen(256)
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
