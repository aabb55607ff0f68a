// The HTTP processors, exported as the plugin "http" (libcurl client, Boost.Beast server).
#include "sluice/plugin.hpp"

#include "invoke_http.hpp"
#include "listen_http.hpp"

SLUICE_PLUGIN("http", &sluice::http::invoke_http_definition(), &sluice::http::listen_http_definition())
