// The whole public SDK: include this from a processor.
#pragma once

#include "sluice/context.hpp"
#include "sluice/expression.hpp"
#include "sluice/flowfile.hpp"
#include "sluice/plugin.hpp"
#include "sluice/processor.hpp"
#include "sluice/service.hpp"
#include "sluice/session.hpp"
#include "sluice/spec.hpp"
#include "sluice/stream.hpp"
#include "sluice/units.hpp"
