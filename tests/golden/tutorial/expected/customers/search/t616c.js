C360.tokens("616c",["ali",36,"ali",37,"ali.khan@aol.com",38]);
