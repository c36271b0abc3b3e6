func.func @f(%x: vector<16xf32>, %y: vector<16xf32>, %h: vector<8xbf16>, %g: vector<8xbf16>, %s: f32, %t: f32) -> (vector<16xf32>, vector<8xbf16>, f32, vector<16xf32>, f32) {
  %b = arith.addf %x, %y : vector<16xf32>
  %0 = act.gelu %b : vector<16xf32>
  %1 = act.bias_gelu_backward %h, %g, %h approximate<tanh> : vector<8xbf16>
  %2 = act.geglu %s, %t expansion<rational> degree(3) : f32
  %3 = act.gelu_backward %x, %y expansion<rational_fast> degree(5) : vector<16xf32>
  %4 = act.swiglu %s, %t : f32
  return %0, %1, %2, %3, %4 : vector<16xf32>, vector<8xbf16>, f32, vector<16xf32>, f32
}
