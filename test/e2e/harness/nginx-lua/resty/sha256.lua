-- Debian installs lua-resty-string as nginx.sha256.
return require("nginx.sha256")
