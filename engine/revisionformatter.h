// formatter: written by the lead
