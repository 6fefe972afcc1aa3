(lp0
(dp1
Vref_id
p2