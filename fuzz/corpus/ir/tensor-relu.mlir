func.func @t(%t: tensor<4x?xf16>) -> tensor<4x?xf16> {
  %0 = act.relu %t : tensor<4x?xf16>
  %1 = act.gelu %0 expansion<rational> degree(3) : tensor<4x?xf16>
  return %1 : tensor<4x?xf16>
}
