C360.tokens("7375",["surat",20]);
