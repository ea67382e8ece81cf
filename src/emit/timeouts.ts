// nginx's default proxy-read/send-timeout is 60 s between two reads or writes and
// there is no total deadline; Envoy's default is a 15 s total route timeout.
import { idleTimeouts, NGINX_READ_TIMEOUT_DEFAULT, NGINX_SEND_TIMEOUT_DEFAULT } from '../map/transforms/timeouts.js';

export const DEFAULT_TIMEOUTS = idleTimeouts(NGINX_READ_TIMEOUT_DEFAULT, NGINX_SEND_TIMEOUT_DEFAULT);
