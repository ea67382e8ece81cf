-- Debian installs lua-resty-string as nginx.sha384.
return require("nginx.sha384")
