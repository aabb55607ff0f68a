// A non-blocking TCP connection made within a deadline: what both JMS transports (STOMP, AMQP 1.0) run on.
#pragma once

#include <chrono>
#include <string>

namespace sluice::jms {

// Milliseconds left until `deadline` (0 once it passed), for poll().
int remaining_ms(std::chrono::steady_clock::time_point deadline);

// A connected non-blocking socket to host:port within `timeout`, or -1 with errno's message in `error`.
int connect_socket(const std::string& host, int port, std::chrono::milliseconds timeout, std::string& error);

}  // namespace sluice::jms
