// The AMQP 0-9-1 processors, exported as the plugin "amqp" (librabbitmq).
#include "sluice/plugin.hpp"

#include "consume_amqp.hpp"
#include "publish_amqp.hpp"

SLUICE_PLUGIN("amqp", &sluice::amqp::publish_amqp_definition(), &sluice::amqp::consume_amqp_definition())
