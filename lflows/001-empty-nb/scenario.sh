# desc: empty NB: northd creates NB_Global/SB_Global and picks mac_prefix/svc_monitor_mac itself (random)
# gen: no-pin
# Nothing to do: the generator's `ovn-nbctl --wait=sb sync` is the only client.
:
