-- Debian installs lua-resty-string as nginx.string.
return require("nginx.string")
