-- Only certificate.lua's OCSP stapling uses an HTTP client; the oracle never enables it.
local _M = {}
local mt = { __index = _M }

function _M.new()
  return setmetatable({}, mt)
end

function _M.set_timeout() end

function _M.parse_uri(_, uri)
  local scheme, host, port, path = uri:match("^(https?)://([^:/]+):?(%d*)(.*)$")
  if not scheme then return nil, "bad uri: " .. uri end
  port = tonumber(port) or (scheme == "https" and 443 or 80)
  return { scheme, host, port, path ~= "" and path or "/" }
end

function _M.request_uri()
  return nil, "resty.http is not available in the ingress2contour oracle"
end

return _M
