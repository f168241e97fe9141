#include "projectconfig.h"
