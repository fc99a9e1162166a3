-- A browser-like request for a ready-made page.
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
wrk.headers["Accept"] = "text/html"
