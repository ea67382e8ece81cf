-- Debian installs lua-resty-string as nginx.sha.
return require("nginx.sha")
