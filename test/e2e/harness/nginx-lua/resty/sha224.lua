-- Debian installs lua-resty-string as nginx.sha224.
return require("nginx.sha224")
