-- Debian installs lua-resty-string as nginx.random.
return require("nginx.random")
