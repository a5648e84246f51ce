-- wrk script for the soak's hostile client: cycles through the requests listed (one "PATH<TAB>FILE" per line) in SOAK_MIX.
local requests = {}
for line in io.lines(os.getenv("SOAK_MIX")) do
  local path, file = line:match("^(%S+)\t(.+)$")
  local f = assert(io.open(file, "rb"))
  requests[#requests + 1] = wrk.format("POST", path, { ["Content-Type"] = "application/json" }, f:read("*a"))
  f:close()
end
local next_request = 0
request = function()
  next_request = next_request % #requests + 1
  return requests[next_request]
end
