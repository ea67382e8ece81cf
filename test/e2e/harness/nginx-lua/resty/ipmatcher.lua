-- IPv4 CIDR matching: new({"10.0.0.0/8", "1.2.3.4"}), match(ip) -> true/false.
local _M = {}
local mt = { __index = _M }

local function ipv4(s)
  local a, b, c, d = s:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
  if not a then return nil end
  a, b, c, d = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
  if a > 255 or b > 255 or c > 255 or d > 255 then return nil end
  return ((a * 256 + b) * 256 + c) * 256 + d
end

function _M.new(cidrs)
  local ranges = {}
  for _, cidr in ipairs(cidrs or {}) do
    local addr, bits = cidr:match("^([^/]+)/?(%d*)$")
    local n = addr and ipv4(addr)
    if not n then return nil, "invalid ip address: " .. tostring(cidr) end
    bits = tonumber(bits) or 32
    if bits > 32 then return nil, "invalid prefix: " .. cidr end
    local size = 2 ^ (32 - bits)
    local first = n - n % size
    ranges[#ranges + 1] = { first, first + size - 1 }
  end
  return setmetatable({ ranges = ranges }, mt)
end

function _M.match(self, ip)
  local n = ipv4(ip or "")
  if not n then return false end
  for _, r in ipairs(self.ranges) do
    if n >= r[1] and n <= r[2] then return true end
  end
  return false
end

return _M
