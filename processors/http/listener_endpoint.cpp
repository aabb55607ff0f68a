#include "listener_endpoint.hpp"

#include <stdexcept>
#include <string>

#include "listener_config.hpp"

namespace sluice::http {

std::unique_ptr<HttpServer> start_listener(const ProcessContext& context, HttpServerSettings settings,
                                           HttpServer::Handler handler, std::string_view what,
                                           std::string_view path) {
  std::string where = listener_scheme(settings);
  where += "://";
  where += settings.address;
  auto server = std::make_unique<HttpServer>(
      std::move(settings), std::move(handler),
      [&context](const std::string& message) { context.log(LogLevel::kWarn, message); });
  try {
    server->start();
  } catch (const std::exception& e) {
    throw ProcessorError(e.what());
  }
  if (context.log_enabled(LogLevel::kInfo)) {
    where += ':';
    where += std::to_string(server->port());
    where += path;
    std::string message(what);
    message += " on ";
    message += where;
    context.log(LogLevel::kInfo, message);
  }
  return server;
}

}  // namespace sluice::http
