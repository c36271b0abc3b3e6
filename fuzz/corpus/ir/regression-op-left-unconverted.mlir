func.func @f(%x: f32) -> f32 {
  %0 = act.gelu %x : f32
  return %0 : f32
}
func.func @t() -> tensor<4xf32> {
  %t = tensor.empty() : tensor<4xf32>
  return %t : tensor<4xf32>
}
