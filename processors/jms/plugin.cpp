// The JMS processors, exported as the plugin "jms" (STOMP 1.2 to ActiveMQ and other JMS brokers).
#include "sluice/plugin.hpp"

#include "consume_jms.hpp"
#include "publish_jms.hpp"

SLUICE_PLUGIN("jms", &sluice::jms::publish_jms_definition(), &sluice::jms::consume_jms_definition())
