-- Smooth weighted round robin over nodes {["ip:port"] = weight}.
local _M = {}
local mt = { __index = _M }

local function build(nodes)
  local ids = {}
  for id, weight in pairs(nodes) do
    if (tonumber(weight) or 0) > 0 then ids[#ids + 1] = id end
  end
  table.sort(ids)
  local current = {}
  for _, id in ipairs(ids) do current[id] = 0 end
  return ids, current
end

function _M.new(_, nodes)
  local self = setmetatable({ nodes = nodes or {} }, mt)
  self.ids, self.current = build(self.nodes)
  return self
end

function _M.reinit(self, nodes)
  self.nodes = nodes or {}
  self.ids, self.current = build(self.nodes)
end

function _M.find(self)
  local best, total = nil, 0
  for _, id in ipairs(self.ids) do
    local w = tonumber(self.nodes[id]) or 0
    total = total + w
    self.current[id] = self.current[id] + w
    if best == nil or self.current[id] > self.current[best] then best = id end
  end
  if best == nil then return nil, "no nodes" end
  self.current[best] = self.current[best] - total
  return best
end

function _M.next(self)
  return self:find()
end

return _M
