func.func @f(%x: vector<16xf32>, %h: vector<8xbf16>, %s: f32) -> (vector<16xf32>, vector<8xbf16>, f32) {
  %0 = act.gelu %x : vector<16xf32>
  %1 = act.gelu %h approximate<tanh> : vector<8xbf16>
  %2 = act.silu %s expansion<sigmoid_fast> : f32
  return %0, %1, %2 : vector<16xf32>, vector<8xbf16>, f32
}
