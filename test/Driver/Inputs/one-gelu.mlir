func.func @f(%x: f32) -> f32 {
  %y = act.gelu %x : f32
  return %y : f32
}
