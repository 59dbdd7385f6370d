"""One request to the ASGI application (the fast path, or Django behind it), as a device sends
it, from a thread of its own (a browser test's driver may run an event loop in this one)."""

import asyncio
import concurrent.futures
import json


def call(path: str, body: dict | bytes, token: str | None = None, method="POST",
         client_ip: str = "127.0.0.1", with_headers: bool = False) -> tuple:  # fmt: skip
    from asgiref.testing import ApplicationCommunicator

    from vaora.asgi import application

    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = [(b"content-type", b"application/json")]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    scope = {"type": "http", "method": method, "path": path, "headers": headers,
             "query_string": b"", "http_version": "1.1", "scheme": "http",
             "server": ("127.0.0.1", 8000), "client": (client_ip, 5000)}  # fmt: skip

    async def run():
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "http.request", "body": raw, "more_body": False})
        start = await communicator.receive_output(timeout=20)
        content = await communicator.receive_output(timeout=20)
        if with_headers:
            headers = {k.decode(): v.decode() for k, v in start["headers"]}
            return start["status"], json.loads(content["body"]), headers
        return start["status"], json.loads(content["body"])

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result(timeout=60)
