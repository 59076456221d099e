# desc: bad input: two switches named sw0 (created with --add-duplicate, fixed NB UUIDs), each with a port
ovn-nbctl --id=5a1c0000-0000-4000-8000-000000000001 create logical_switch name=sw0
ovn-nbctl --id=5a1c0000-0000-4000-8000-000000000002 create logical_switch name=sw0
ovn-nbctl lsp-add 5a1c0000-0000-4000-8000-000000000001 sw0a-p1 -- lsp-set-addresses sw0a-p1 "50:54:00:00:0a:01 10.0.0.11"
ovn-nbctl lsp-add 5a1c0000-0000-4000-8000-000000000002 sw0b-p1 -- lsp-set-addresses sw0b-p1 "50:54:00:00:0b:01 10.0.0.11"
ovn-nbctl --add-duplicate ls-add sw1
ovn-nbctl --add-duplicate ls-add sw1
