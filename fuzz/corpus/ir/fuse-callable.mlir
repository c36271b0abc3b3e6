func.func @scalar(%x: f32, %b: f32) -> f32 {
  %s = arith.addf %x, %b : f32
  %y = act.gelu %s : f32
  return %y : f32
}
func.func @tanh_vector(%x: vector<8xf32>, %b: vector<8xf32>) -> vector<8xf32> {
  %s = arith.addf %x, %b : vector<8xf32>
  %y = act.gelu %s approximate<tanh> expansion<rational> degree(3) : vector<8xf32>
  return %y : vector<8xf32>
}
func.func @bf16(%x: vector<16xbf16>, %b: vector<16xbf16>) -> vector<16xbf16> {
  %s = arith.addf %x, %b : vector<16xbf16>
  %y = act.gelu %s : vector<16xbf16>
  return %y : vector<16xbf16>
}
func.func @f16(%x: f16, %b: f16) -> f16 {
  %s = arith.addf %x, %b : f16
  %y = act.gelu %s approximate<sigmoid> : f16
  return %y : f16
}
