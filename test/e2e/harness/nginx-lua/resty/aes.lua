-- Debian installs lua-resty-string as nginx.aes.
return require("nginx.aes")
