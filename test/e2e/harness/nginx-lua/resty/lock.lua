-- A lock in a lua_shared_dict: add(key) succeeds for one holder until unlock() or exptime.
local _M = {}
local mt = { __index = _M }

function _M.new(_, dict_name, opts)
  local dict = ngx.shared[dict_name]
  if not dict then return nil, "dictionary not found" end
  opts = opts or {}
  return setmetatable({
    dict = dict,
    exptime = opts.exptime or 30,
    timeout = opts.timeout or 5,
    step = opts.step or 0.001,
  }, mt)
end

function _M.lock(self, key)
  if self.key then return nil, "locked" end
  local waited = 0
  local step = self.step
  while true do
    local ok, err = self.dict:add(key, true, self.exptime)
    if ok then
      self.key = key
      return waited
    end
    if err ~= "exists" then return nil, err end
    if waited >= self.timeout then return nil, "timeout" end
    ngx.sleep(step)
    waited = waited + step
    step = math.min(step * 2, 0.5)
  end
end

function _M.unlock(self)
  if not self.key then return nil, "unlocked" end
  self.dict:delete(self.key)
  self.key = nil
  return 1
end

function _M.expire(self, time)
  if not self.key then return nil, "unlocked" end
  return self.dict:replace(self.key, true, time or self.exptime)
end

return _M
