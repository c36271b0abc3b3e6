func.func @s(%x: f32, %d: f64) -> f32 {
  %0 = act.gelu %x approximate<sigmoid> expansion<sigmoid> : f32
  %1 = act.gelu %0 expansion<erf> : f32
  return %1 : f32
}
