"""The lean check-in path: an ASGI route beside Django, sharing the schema, for the one write
that must take thousands of requests a second. No Django request cycle, no database read to
authenticate (signed passes), no database read to recognise a venue (an in-memory directory),
and commits batched across requests — each request is acknowledged only after its commit."""
