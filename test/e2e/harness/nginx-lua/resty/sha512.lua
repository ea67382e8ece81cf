-- Debian installs lua-resty-string as nginx.sha512.
return require("nginx.sha512")
