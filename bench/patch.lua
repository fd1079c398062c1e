-- wrk script: merge-patch the resource in the URL with the BODY environment variable
wrk.method = "PATCH"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/merge-patch+json"
