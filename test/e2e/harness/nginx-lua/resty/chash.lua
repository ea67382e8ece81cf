-- Consistent hashing over nodes {["ip:port"] = weight}: 160 points per unit of weight on a
-- crc32 ring; find(key) returns the node owning the first point at or after crc32(key).
local crc32 = ngx.crc32_long
local _M = {}
local mt = { __index = _M }
local POINTS = 160

local function build(nodes)
  local ring = {}
  for id, weight in pairs(nodes) do
    local n = math.floor((tonumber(weight) or 0) * POINTS)
    for i = 1, n do ring[#ring + 1] = { crc32(id .. "#" .. i), id } end
  end
  table.sort(ring, function(a, b)
    if a[1] == b[1] then return a[2] < b[2] end
    return a[1] < b[1]
  end)
  return ring
end

function _M.new(_, nodes)
  local self = setmetatable({ nodes = nodes or {} }, mt)
  self.ring = build(self.nodes)
  return self
end

function _M.reinit(self, nodes)
  self.nodes = nodes or {}
  self.ring = build(self.nodes)
end

function _M.find(self, key)
  local ring = self.ring
  local n = #ring
  if n == 0 then return nil, "no nodes" end
  local h = crc32(tostring(key))
  local lo, hi = 1, n
  if h > ring[n][1] then return ring[1][2], 1 end
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if ring[mid][1] < h then lo = mid + 1 else hi = mid end
  end
  return ring[lo][2], lo
end

function _M.next(self, index)
  local ring = self.ring
  if #ring == 0 then return nil, "no nodes" end
  local i = (index or 0) % #ring + 1
  return ring[i][2], i
end

return _M
