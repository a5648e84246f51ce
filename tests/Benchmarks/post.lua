-- wrk script: POST the hook request named by HOOK_FILE to the path given on the command line.
local file = assert(io.open(os.getenv("HOOK_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()
