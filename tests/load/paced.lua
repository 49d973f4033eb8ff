-- wrk script for the paced runs of load.mjs: each connection waits PVZ_LOAD_PAUSE_MS after an answer before
-- it asks again, the way a buyer's browser waits between two moves of the map, so that the latency is
-- measured under a stated load instead of at the most the machine can do.
local pause = tonumber(os.getenv("PVZ_LOAD_PAUSE_MS") or "5")

function delay()
  return pause
end
