-- Debian installs lua-resty-string as nginx.md5.
return require("nginx.md5")
