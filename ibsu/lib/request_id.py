import contextvars

# The id of the request being handled, for every log line written meanwhile.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)
