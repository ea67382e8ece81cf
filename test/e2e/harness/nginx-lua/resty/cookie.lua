-- Request cookies by name and Set-Cookie headers (with SameSite), as balancer/sticky.lua uses them.
local _M = {}
local mt = { __index = _M }

function _M.new(_)
  return setmetatable({}, mt)
end

function _M.get(_, name)
  return ngx.var["cookie_" .. name]
end

function _M.set(_, c)
  if not c.key or not c.value then return nil, 'missing cookie field "key" or "value"' end
  local parts = { c.key .. "=" .. c.value }
  if c.expires then parts[#parts + 1] = "Expires=" .. c.expires end
  if c.max_age then parts[#parts + 1] = "Max-Age=" .. c.max_age end
  if c.domain then parts[#parts + 1] = "Domain=" .. c.domain end
  if c.path then parts[#parts + 1] = "Path=" .. c.path end
  if c.secure then parts[#parts + 1] = "Secure" end
  if c.httponly then parts[#parts + 1] = "HttpOnly" end
  if c.samesite then parts[#parts + 1] = "SameSite=" .. c.samesite end
  if c.extension then parts[#parts + 1] = c.extension end
  local value = table.concat(parts, "; ")
  local existing = ngx.header["Set-Cookie"]
  if existing == nil then
    ngx.header["Set-Cookie"] = value
  elseif type(existing) == "table" then
    existing[#existing + 1] = value
    ngx.header["Set-Cookie"] = existing
  else
    ngx.header["Set-Cookie"] = { existing, value }
  end
  return true
end

return _M
