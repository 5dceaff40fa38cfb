-- pipeline.lua -- wrk script for scenario d of bench/run.sh (HTTP pipelining).
--
-- Every write carries DEPTH requests for the URL given to wrk, back to back, so the
-- load generator spends its effort per batch instead of per request:
--   wrk -t1 -c50 -d10s --latency -s bench/pipeline.lua http://127.0.0.1:PORT/index.html
--   wrk ... -s bench/pipeline.lua URL -- 8      (another depth)
-- wrk counts every response; the latency it shows is per batch.

local depth = 16
local batch = nil

-- Runs once per wrk thread, after wrk has filled in wrk.headers (Host, -H ...).
function init(args)
  depth = tonumber(args[1]) or depth
  local requests = {}
  for i = 1, depth do
    requests[i] = wrk.format()   -- method, path and headers from the command line
  end
  batch = table.concat(requests)
end

function request()
  return batch
end
