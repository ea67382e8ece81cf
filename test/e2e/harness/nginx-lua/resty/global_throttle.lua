-- Global rate limiting needs memcached, which the oracle does not run: new() fails, and
-- global_throttle.lua then lets the request through ("fail open"), as it does upstream.
local _M = {}

function _M.new()
  return nil, "global throttling is not available in the ingress2contour oracle"
end

return _M
