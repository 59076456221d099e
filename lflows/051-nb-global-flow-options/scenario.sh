# desc: NB_Global use_ct_inv_match=false, default_acl_drop=true, debug_drop_domain_id/collector_set, with an LB on the switch
ovn-nbctl set NB_Global . options:use_ct_inv_match=false options:default_acl_drop=true \
  options:debug_drop_domain_id=1 options:debug_drop_collector_set=2
ovn-nbctl ls-add sw0
ovn-nbctl lsp-add sw0 sw0-p1 -- lsp-set-addresses sw0-p1 "50:54:00:00:00:01 10.0.0.11" -- lsp-set-port-security sw0-p1 "50:54:00:00:00:01 10.0.0.11"
ovn-nbctl lsp-add sw0 sw0-p2 -- lsp-set-addresses sw0-p2 "50:54:00:00:00:02 10.0.0.12"
ovn-nbctl lb-add lb0 10.0.0.100:80 10.0.0.11:80,10.0.0.12:80 tcp
ovn-nbctl ls-lb-add sw0 lb0
