"""The ceiling the ingest benchmark compares itself with: a bare ASGI application under the same
uvicorn flags that reads the same request, parses its JSON and answers 201 with a small JSON —
no Django, no database. `ratio_to_baseline` in bench/results/ingest-*.json is vaora's check-in
rate over this one's, measured in the same run on the same machine."""

import json


async def application(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["path"] == "/healthz":
        status, answer = 200, b'{"status":"ok"}'
    else:
        request = json.loads(body or b"{}")
        answer = json.dumps({"status": "stored", "client_id": request.get("client_id")}).encode()
        status = 201
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json")]})  # fmt: skip
    await send({"type": "http.response.body", "body": answer})
