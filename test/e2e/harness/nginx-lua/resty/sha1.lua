-- Debian installs lua-resty-string as nginx.sha1.
return require("nginx.sha1")
