C360.tokens("7361",["san",12,"sara",36,"sara",37,"sara.khan@gmail.com",38]);
