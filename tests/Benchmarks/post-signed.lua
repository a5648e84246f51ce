-- wrk script: POST the hook request named by HOOK_FILE with a fresh signed token per request, as EHRs send them.
-- TOKEN_FILE holds one JWT per line; wrk's threads (-t2) take alternate lines, each token once. When they run out
-- the tokens are used again: the service refuses a replayed jti (a non-2xx answer fails the run: mint more).
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  local file = assert(io.open(os.getenv("HOOK_FILE"), "rb"))
  body = file:read("*a")
  file:close()
  tokens = {}
  local line_number = 0
  for line in io.lines(os.getenv("TOKEN_FILE")) do
    if line_number % 2 == id then tokens[#tokens + 1] = line end
    line_number = line_number + 1
  end
  next_token = 1
end

function request()
  local token = tokens[next_token]
  next_token = next_token % #tokens + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end
