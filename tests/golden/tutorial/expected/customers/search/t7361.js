C360.tokens("7361",["san",8,"sara",4,"sara",5,"sara.khan@gmail.com",6]);
