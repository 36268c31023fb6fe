C360.tokens("616c",["ali",9]);
